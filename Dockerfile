# The Streamlit UI (and the kb CLI) against the `neo4j` service of docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY kb ./kb
COPY loaders ./loaders
COPY ui ./ui
COPY cypher ./cypher
COPY data ./data
COPY neo4j ./neo4j
# A plain install, as from the wheel: cypher/, data/ and the UI are package data (kb/resources.py).
RUN pip install --no-cache-dir . && useradd --create-home kb
USER kb
WORKDIR /home/kb
EXPOSE 8501
# On start (NEO4J_URI is set, so no local server): apply the schema, load the bundled case
# base (idempotent), analyse, serve.
CMD ["kb", "demo", "--port", "8501", "--address", "0.0.0.0"]
