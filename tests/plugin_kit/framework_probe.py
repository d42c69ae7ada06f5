"""The framework kit on one framework, in a process of its own (MindSpore's settings are per
process): ``python framework_probe.py FRAMEWORK FOLDER`` prints the kit's report as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from zoo_core.registry import get_registry
from zoo_core.testing import FrameworkConformance

if __name__ == "__main__":
    framework, folder = sys.argv[1], Path(sys.argv[2])
    report = FrameworkConformance(get_registry(), framework).check_all(folder)
    print(json.dumps(report))
