"""Site: the MkDocs hook that hands the pages to the site generator, the verified build
that swaps in a site only when every record made it, and edit links."""
