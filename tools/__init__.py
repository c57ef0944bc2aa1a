"""Build scripts kept out of the runtime package (python -m tools.<script>)."""
