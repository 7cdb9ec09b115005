"""Pages: rated records -> Markdown pages, SVG plots, citations, structured data, exports
and the feed, with every value escaped for the format it lands in."""
