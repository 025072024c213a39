FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY migrations ./migrations
COPY questions ./questions
RUN pip install --no-cache-dir -e ".[postgres]"
ENV QUIZBOT_DATA_DIR=/data
VOLUME ["/data"]
CMD ["quizbot", "run"]
