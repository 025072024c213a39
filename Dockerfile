FROM python:3.11-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY bot ./bot
COPY migrations ./migrations
COPY questions ./questions
RUN pip install --no-cache-dir -e ".[postgres]"
# Bytecode for the bot's own modules, built once here: otherwise each new container compiles them all at start.
RUN python -m compileall -q bot
ENV QUIZBOT_DATA_DIR=/data
VOLUME ["/data"]
CMD ["quizbot", "run"]
