"""The embedded ``hagrid-synth`` generator: procedural hands in the real HaGRID v1 format."""
