"""The MkDocs face of probepress: settings, generated pages, assets.

The only layer (with cli/) that imports mkdocs.
"""
