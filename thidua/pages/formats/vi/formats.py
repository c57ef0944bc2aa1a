from thidua.pages.formats.common import *  # noqa: F403
