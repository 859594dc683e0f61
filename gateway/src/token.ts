/**
 * Prints a development token for the embedded graph (`npm start`), signed
 * with the secret in its data directory:
 *
 *   npm run token -- --role DEALER --dealer <dealer id>
 *   npm run token -- --role AGENT|ANALYST|ADMIN [--subject alice] [--expires 8h]
 */
import path from "node:path";
import { parseArgs } from "node:util";
import { ROLES, env, loadConfig, runMain, type Role } from "@aftersales/kit";
import { z } from "zod";
import { developmentSecrets, signToken } from "./auth/development.js";

const config = z.object({ DATA_DIR: z.string().min(1).default("./.data"), LOG_LEVEL: env.logLevel() });

runMain(async () => {
  const { values } = parseArgs({
    options: {
      role: { type: "string" },
      dealer: { type: "string" },
      subject: { type: "string" },
      expires: { type: "string", default: "8h" },
    },
  });
  const role = values.role?.toUpperCase();
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    throw new Error(`Give --role ${ROLES.join("|")} (and --dealer <id> for DEALER).`);
  }
  if (role === "DEALER" && !values.dealer) throw new Error("A DEALER token names its dealer: --dealer <dealer id>.");
  if (role !== "DEALER" && values.dealer) throw new Error(`A ${role} token sees every dealer; leave out --dealer.`);
  const { DATA_DIR } = loadConfig(config);
  const secrets = developmentSecrets(path.resolve(DATA_DIR));
  const token = await signToken(secrets.tokenSecret, {
    role: role as Role,
    dealerId: values.dealer ?? null,
    subject: values.subject ?? `dev-${role.toLowerCase()}`,
    expiresIn: values.expires,
  });
  process.stdout.write(`${token}\n`);
});
