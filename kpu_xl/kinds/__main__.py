"""python -m kpu_xl.kinds [FOLDER]: rebuild the shipped blank templates (templates/ by default)."""

import sys

from . import build_shipped

for written in build_shipped(*sys.argv[1:2]):
    print(written)
