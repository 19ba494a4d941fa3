# Pairwise in a container: `docker compose up` runs it beside Postgres 16 (see docker-compose.yml).
FROM node:20-bookworm-slim
WORKDIR /app
ENV NEXT_TELEMETRY_DISABLED=1
COPY package.json package-lock.json ./
COPY prisma ./prisma
COPY prisma.config.ts ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build
EXPOSE 3000
# With DATABASE_URL set, `npm start` applies migrations and serves; it seeds nothing (npm run db:seed does).
CMD ["npm", "start"]
