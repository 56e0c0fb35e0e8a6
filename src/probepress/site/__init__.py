"""The MkDocs face of probepress: settings, generated pages, assets; the only layer that imports mkdocs."""
