import sys

from service_catalogue.cli import main

sys.exit(main())
