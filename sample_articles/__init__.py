"""The bundled sample library, shipped as data with the package (see pozirk_reader.samples)."""
