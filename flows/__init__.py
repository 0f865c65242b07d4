import os as _os

# Prefect's temporary server waits 20 s to start by default, which a busy machine does not always meet.
_os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "180")
