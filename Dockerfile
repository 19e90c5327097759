# Production image: the site under gunicorn; the same image runs the Celery
# worker and beat (see docker-compose.yml).
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    DJANGO_SETTINGS_MODULE=bac_collection.settings.production

RUN apt-get update \
    && apt-get install -y --no-install-recommends libjpeg62-turbo libwebp7 libpq5 \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 bac
WORKDIR /app

COPY requirements.txt .
RUN pip install -r requirements.txt

COPY --chown=bac:bac . .
# collectstatic needs settings to import, not real secrets.
RUN SECRET_KEY=build-only-$(head -c 48 /dev/urandom | base64) ALLOWED_HOSTS=build \
    python manage.py collectstatic --noinput

# Where docker-compose.yml mounts its volumes: a new volume takes the folder's owner.
RUN install -d -o bac -g bac media private_media

USER bac
EXPOSE 8000
CMD ["gunicorn", "bac_collection.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3", "--timeout", "30", "--access-logfile", "-"]
