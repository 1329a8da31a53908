"""Settings an admin changes in the browser: the young people's service name, the
council's help lines and the retention periods. Config gives each its default; a stored
value wins. Everything reads them through `feedback.settings.services`."""
