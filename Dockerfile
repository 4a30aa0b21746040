# The Streamlit UI (and the kb CLI) against the `neo4j` service of docker-compose.yml.
FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY kb ./kb
COPY loaders ./loaders
COPY ui ./ui
COPY cypher ./cypher
COPY data ./data
# Editable install: the package finds cypher/ and data/ next to it in /app.
RUN pip install --no-cache-dir -e . && useradd --create-home kb && chown -R kb /app
USER kb
EXPOSE 8501
# On start: apply the schema, load the bundled case base (idempotent), analyse, serve.
CMD ["sh", "-c", "kb init && kb load data/ && kb analyse && kb ui --port 8501 --address 0.0.0.0"]
