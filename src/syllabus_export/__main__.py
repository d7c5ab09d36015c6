import sys

from syllabus_export.cli import main

sys.exit(main())
