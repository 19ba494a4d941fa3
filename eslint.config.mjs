// Lint rules, including the layering of ARCHITECTURE.md: Prisma only inside server/, components never
// reach for server queries or the database.
import next from "eslint-config-next";

const config = [
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "server/generated/**",
      ".data/**",
      "prisma/engine/**",
      "test-results/**",
      "playwright-report/**",
      "next-env.d.ts",
    ],
  },
  ...next,
  {
    files: ["app/**", "components/**", "lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [{ group: ["@/server/db", "**/server/db", "@/server/generated/*", "@prisma/*"], message: "Only server/ talks to the database." }],
        },
      ],
    },
  },
  {
    files: ["components/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            { group: ["@/server/db", "@/server/generated/*", "@prisma/*"], message: "Components never touch the database." },
            { group: ["@/server/*/queries", "@/server/*/actions"], message: "Pages pass data and actions in as props.", allowTypeImports: true },
          ],
        },
      ],
    },
  },
  {
    files: ["lib/**"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["@/server/*", "@/components/*", "next/*", "react"], message: "lib/ is pure and framework-free." }] },
      ],
    },
  },
];

export default config;
