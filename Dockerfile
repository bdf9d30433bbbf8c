# Footing's production image: Python 3.13 slim, locked dependencies, gunicorn on port 8000.
# Migrations run once per deploy in their own container (docker-compose.yml, "migrate").
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
# collectstatic needs settings to load; this key is only for the build step.
RUN SECRET_KEY=build-only-not-secret-build-only-not-secret-build-only-123 \
    DEBUG=0 python manage.py collectstatic --no-input

USER footing
EXPOSE 8000
CMD ["sh", "-c", "exec gunicorn config.wsgi:application --bind 0.0.0.0:8000 --workers ${WEB_CONCURRENCY:-3} --access-logfile -"]
