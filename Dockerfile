FROM python:3.11-slim-bookworm
RUN apt-get update && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core \
      fonts-noto-core fonts-noto-cjk fonts-noto-color-emoji nodejs npm \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY requirements.lock package.json package-lock.json ./
RUN pip install --no-cache-dir -r requirements.lock && npm ci --omit=dev --no-audit --no-fund
COPY . .
RUN SECRET_KEY=build DJANGO_SETTINGS_MODULE=growth.settings.production \
    python manage.py collectstatic --noinput
USER nobody
EXPOSE 8000
