"""Streamlit glue shared by app.py and the pages (sign-in gate, formatting)."""
