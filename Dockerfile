# Max Photo Gallery: one aiohttp process (bot webhook, mini-app, API, push sender).
# For real deployments: run it with GALLERY_BOT__TOKEN set (docker-compose.yml shows the rest).
# Without a token the app would run the local MAX sandbox, which signs anyone in as anyone and
# so listens on loopback only: on the 0.0.0.0 below it refuses to start (exit 2). To try the
# sandbox, run `python -m gallery` on your machine instead.
FROM python:3.11-slim

# MALLOC_ARENA_MAX: glibc keeps an arena per image-pipeline thread; two keep RSS ~60 MB lower
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 MALLOC_ARENA_MAX=2 \
    GALLERY_SERVER__HOST=0.0.0.0 GALLERY_MEDIA__ROOT=/data/media

WORKDIR /app
COPY pyproject.toml README.md config.toml ./
COPY server server
COPY bot bot
COPY webapp webapp
COPY gallery gallery
COPY storage storage
COPY config config
COPY sandbox sandbox
COPY migrations migrations
RUN pip install --no-cache-dir . && useradd --system --home /app gallery \
    && mkdir -p /data/media && chown -R gallery /data
USER gallery
VOLUME /data
EXPOSE 8080
HEALTHCHECK --interval=30s --timeout=3s CMD python -c "import urllib.request,sys; \
    sys.exit(urllib.request.urlopen('http://127.0.0.1:8080/health').status != 200)"
CMD ["python", "-m", "gallery", "run"]
