"""paperdeck's reader app and command line, on top of the ``store`` library."""

import os

# This package runs paperdeck's own process. Pydantic looks for plugins (observability
# hooks) by scanning every installed distribution's entry points the first time a model
# is defined: 20 ms of a start-up budget measured in tens of milliseconds, for nothing
# paperdeck uses. A user who sets the variable keeps their setting.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
