"""Campaign performance maths: totals, KPI progress, pacing, cost per result, benchmarks, audience.

One module per concept: values, campaign_data, totals, kpis, pacing, costs, trends,
benchmarks, audience, overview. Pure functions over plain data (`CampaignData`, DataFrames);
no store, no Streamlit. A number that cannot be known is a `Value` whose `value` is None and
whose `reason` says why — never 0.

Definitions used throughout (each derived number's formula is data in ttcm/rules/formulas.json,
computed and explained by ttcm/domain/formula.py; a derived `Value` carries it filled in `how`):
* engagements = likes + comments + shares (TikTok's `engagement_count`); engagement rate =
  engagements / views, summed over the posts where both are known (views-weighted, not a mean
  of per-post rates);
* reach is the sum of per-post reach (an account reached by two posts counts twice);
* a creator's "usual" performance is their cached median views and engagement rate (TikTok's
  figures over their latest videos).
"""
