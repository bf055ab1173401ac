import logging

# WeasyPrint logs every parsing and layout step at INFO (some at import time); a server log
# needs none of it.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)
