# Footing's production image: Python 3.13 slim, locked dependencies, gunicorn on port 8000.
# Migrations run once per deploy in their own container (docker-compose.yml, "migrate").

# Stage 1, thrown away after the build: minify Footing's own browser modules with esbuild,
# pinned in tools/browser/package-lock.json. static/js keeps the readable sources; only the
# minified copies leave this stage. bench/frontend.py runs the same script to measure them.
FROM node:20-slim AS assets
WORKDIR /build
COPY tools/browser/package.json tools/browser/package-lock.json tools/browser/
# Without dev dependencies: esbuild and axe-core, not Lighthouse. No install scripts:
# esbuild's only checks its binary, and the minify step below runs that binary anyway.
RUN npm ci --omit=dev --prefix tools/browser --ignore-scripts --no-audit --no-fund --loglevel=error
COPY tools/browser/minify.mjs tools/browser/
COPY static/js static/js
RUN node tools/browser/minify.mjs static/js /build/minified

# Stage 2: the image that runs.
FROM python:3.13-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    UV_COMPILE_BYTECODE=1 \
    UV_LINK_MODE=copy \
    UV_PROJECT_ENVIRONMENT=/opt/venv \
    PATH="/opt/venv/bin:$PATH"

RUN pip install --no-cache-dir uv \
    && useradd --create-home --uid 1000 footing

WORKDIR /app
COPY pyproject.toml uv.lock .python-version ./
RUN uv sync --frozen --no-dev --no-install-project

COPY . .
# The minified modules (outbox, session, pwa, timezone) replace their sources in the image.
COPY --from=assets /build/minified/ ./static/js/
# collectstatic writes hashed files with .gz and, because the brotli package is installed,
# .br copies; whitenoise serves the .br to browsers that accept it.
# collectstatic needs settings to load; this key is only for the build step.
RUN SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only-123 \
    DEBUG=0 python manage.py collectstatic --no-input

USER footing
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
