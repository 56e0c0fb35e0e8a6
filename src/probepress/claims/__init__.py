"""The claim language: its grammar, the evaluation of a claim, and its callout HTML."""
