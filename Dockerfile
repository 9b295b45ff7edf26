FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends make nodejs npm postgresql-client \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY pyproject.toml package.json package-lock.json Makefile ./
COPY . .
RUN make deps assets
ENV PATH="/app/.venv/bin:$PATH"
EXPOSE 8000
