"""Placeholder until the app's models land."""
