"""zoo's conformance kit on every architecture of this plugin, in every framework it claims."""

from zoo_core.testing import ConformanceSuite


class TestConformance(ConformanceSuite):
    plugin = "zoo_cbam"
