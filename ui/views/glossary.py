"""Glossary: every role and measure the pages use, in one line of plain words, with the
technical detail one click away."""

import streamlit as st

from ui import glossary

st.title("Glossary")
st.markdown("What the words on these pages mean. Each term has a one-line explanation; open it for the "
            "technical detail.")
chosen = st.query_params.get("term")
for term, (plain, detail) in glossary.TERMS.items():
    st.markdown(f"**{term}**: {plain}")
    with st.expander(f"Technical detail: {term}", expanded=term == chosen):
        st.markdown(detail)
