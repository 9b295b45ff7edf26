# Harbour's image: one image for web, worker, beat and the one-shot migrate (docker/entrypoint.sh).
#   docker build -t harbour .        (docs/operations.md "Containers" has its size)
# Four stages: the stylesheet built with Node 20 (sass needs Node >= 20.19), the Welsh catalogues compiled, the runtime Python
# packages in a virtualenv (no development extras), and the runtime image: Debian slim with
# Python 3.11, tini, the virtualenv, the code and hashed static files; non-root; production settings.

# ---- 1. front-end assets ------------------------------------------------------------------------
FROM node:20-bookworm-slim AS assets
WORKDIR /src
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error
COPY assets/ assets/
RUN npm run build

# ---- 1b. the translations: locale/*/LC_MESSAGES/*.po compiled to .mo (msgfmt, GNU gettext, is
# needed only here, not in the runtime image) ----------------------------------------------------
FROM debian:bookworm-slim AS messages
RUN apt-get update \
 && apt-get install -y --no-install-recommends gettext \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY locale/ locale/
RUN find locale -name '*.po' -exec sh -c 'msgfmt --check -o "${1%.po}.mo" "$1"' _ {} \;

# ---- 2. runtime Python packages (the dependency layer: rebuilt only when pyproject.toml changes) -
FROM python:3.11-slim-bookworm AS python-deps
ENV PIP_DISABLE_PIP_VERSION_CHECK=1 PIP_NO_CACHE_DIR=1
COPY pyproject.toml /tmp/pyproject.toml
# [project] dependencies only: the `dev` and `bench` extras stay out of the image; no pip or
# setuptools at run time, and of drf-spectacular-sidecar only ReDoc (the API docs page).
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('/tmp/pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && python -m venv /opt/venv \
 && /opt/venv/bin/pip install --no-compile -r /tmp/requirements.txt \
 && /opt/venv/bin/pip uninstall -y pip setuptools \
 && rm -rf /opt/venv/lib/python3.11/site-packages/drf_spectacular_sidecar/static/drf_spectacular_sidecar/swagger-ui-dist \
 && find /opt/venv -name '__pycache__' -prune -exec rm -rf {} + \
 && /opt/venv/bin/python -m compileall -q -j 0 /opt/venv/lib

# ---- 3. runtime ---------------------------------------------------------------------------------
FROM python:3.11-slim-bookworm
# tini: PID 1 that forwards signals and reaps children (the entrypoint then execs the process).
RUN apt-get update \
 && apt-get install -y --no-install-recommends tini \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 harbour \
 && useradd --system --uid 10001 --gid harbour --home-dir /app --no-create-home \
      --shell /usr/sbin/nologin harbour
ENV PATH=/opt/venv/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    DJANGO_SETTINGS_MODULE=harbour.settings.production \
    LOG_FORMAT=json \
    MEDIA_ROOT=/app/media \
    PROMETHEUS_MULTIPROC_DIR=/tmp/prometheus \
    CELERY_BEAT_ALIVE_FILE=/tmp/celerybeat.alive
WORKDIR /app
COPY --from=python-deps /opt/venv /opt/venv
# The stylesheet and the front-end files the pages load, where STATICFILES_DIRS looks for them
# (of GOV.UK Frontend only its script and assets: its styles are compiled into harbour.css).
COPY --from=assets /src/static_build/ static_build/
COPY --from=assets /src/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.js* \
     node_modules/govuk-frontend/dist/govuk/
COPY --from=assets /src/node_modules/govuk-frontend/dist/govuk/assets/ \
     node_modules/govuk-frontend/dist/govuk/assets/
COPY --from=assets /src/node_modules/chart.js/dist/chart.umd.min.js* node_modules/chart.js/dist/
COPY --from=assets /src/node_modules/axe-core/axe.min.js node_modules/axe-core/axe.min.js
COPY . .
COPY --from=messages /src/locale/ locale/
# Hashed, compressed static files (CompressedManifestStaticFilesStorage); the key only lets the
# production settings load for this step and is not in the image's environment.
RUN SECRET_KEY=collectstatic-only-this-is-not-a-secret-key-0123456789 \
      python manage.py collectstatic --noinput --verbosity 0 \
 && python -m compileall -q -j 0 -x '(node_modules|static)' /app \
 && mkdir -p /app/media \
 && chown harbour:harbour /app/media \
 && chmod 0755 docker/entrypoint.sh
USER harbour
EXPOSE 8000
VOLUME ["/app/media"]
# The web process is ready (PostgreSQL and Redis answer); compose checks /healthz for web and a
# Celery ping / the beat's tick for the others.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["python", "/app/docker/healthcheck.py", "/readyz"]
ENTRYPOINT ["/usr/bin/tini", "--", "/app/docker/entrypoint.sh"]
CMD ["web"]
