"""Pure figure builders (plain data in, plotly Figure out), one module per chart family.

Pages and the HTML report draw with the same builders: `base` (shared layout), `discovery`,
`creator`, `campaign`, `audience`, `post`.
"""
