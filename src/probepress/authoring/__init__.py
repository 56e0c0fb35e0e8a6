"""What authors write: Markdown scanning, fence options and parsing, fence HTML and charts."""
