/**
 * Prints a token (`npm run token -- --help` says how). Without JWT_SECRET it
 * signs with the secret the embedded graph (`npm start`) made in its data
 * directory, and refuses when there is none there: a secret made here would
 * be one no running graph trusts. With JWT_SECRET it signs with that, as a
 * gateway run on its own checks it.
 */
import path from "node:path";
import { CommandError, ROLES, env, loadConfig, runMain, type Role } from "@aftersales/kit";
import { z } from "zod";
import { DEFAULT_DATA_DIR, existingDevelopmentSecrets, signToken } from "./auth/development.js";
import { commandOptions, usageError } from "./command-line.js";

const USAGE = `Prints a token to send as \`Authorization: Bearer <token>\`.

  npm run token -- --role DEALER --dealer <dealer id>
  npm run token -- --role AGENT|ANALYST|ADMIN [--subject alice] [--expires 8h]

  --role      DEALER, AGENT, ANALYST or ADMIN (required)
  --dealer    the dealer a DEALER token acts for (only with DEALER)
  --subject   who the token stands for (sub); dev-<role> by default
  --expires   how long it is valid: a number and s, m, h or d (30m, 8h, 7d); 8h by default
  --help      this text

It signs with the secret \`npm start\` made in its data directory: the
checkout's .data, or DATA_DIR when the graph runs with one (its start message
shows the command). With JWT_SECRET set it signs with that instead, for a
gateway run on its own (JWT_ISSUER and JWT_AUDIENCE become iss and aud).
`;

/** What jose reads as a lifetime, narrowed to the forms the usage names (a negative one would make a token expired at birth). */
const EXPIRES = /^[1-9]\d*[smhd]$/;

const config = z.object({
  DATA_DIR: z.string().min(1).optional(),
  JWT_SECRET: env.secret().optional(),
  JWT_ISSUER: z.string().min(1).optional(),
  JWT_AUDIENCE: z.string().min(1).optional(),
});

const usage = (problem: string) => usageError("token", problem);

runMain(async () => {
  const values = commandOptions("token", {
    role: { type: "string" },
    dealer: { type: "string" },
    subject: { type: "string" },
    expires: { type: "string", default: "8h" },
    help: { type: "boolean", short: "h" },
  });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  const role = values.role?.toUpperCase();
  if (!role || !(ROLES as readonly string[]).includes(role)) {
    throw usage(`Give --role ${ROLES.join("|")} (and --dealer <id> for DEALER)`);
  }
  if (role === "DEALER" && !values.dealer) throw usage("A DEALER token names its dealer: --dealer <dealer id>");
  if (role !== "DEALER" && values.dealer) throw usage(`A ${role} token sees every dealer; leave out --dealer`);
  if (!EXPIRES.test(values.expires)) throw usage(`--expires ${values.expires}: write a number and s, m, h or d, e.g. 30m, 8h or 7d`);
  const settings = loadConfig(config);
  const dataDir = settings.DATA_DIR ? path.resolve(settings.DATA_DIR) : DEFAULT_DATA_DIR;
  const embedded = existingDevelopmentSecrets(dataDir);
  let secret: string;
  if (settings.JWT_SECRET) {
    secret = settings.JWT_SECRET;
    // A JWT_SECRET left in the shell would sign tokens `npm start`'s graph refuses.
    if (embedded) console.error(`Signed with JWT_SECRET, not with the secret of the graph in ${dataDir}.`);
  } else if (embedded?.tokenSecret) {
    secret = embedded.tokenSecret;
  } else {
    throw new CommandError(
      `No graph has been started with its data in ${dataDir} (there is no secrets.json there), so there is no secret to sign with. ` +
        "Start the graph with `npm start` first; if it runs with another DATA_DIR, give this command the same one (the graph's start message shows the command). " +
        "For a gateway run on its own, set JWT_SECRET to its secret.",
    );
  }
  const token = await signToken(secret, {
    role: role as Role,
    dealerId: values.dealer ?? null,
    subject: values.subject ?? `dev-${role.toLowerCase()}`,
    expiresIn: values.expires,
    ...(settings.JWT_SECRET && settings.JWT_ISSUER ? { issuer: settings.JWT_ISSUER } : {}),
    ...(settings.JWT_SECRET && settings.JWT_AUDIENCE ? { audience: settings.JWT_AUDIENCE } : {}),
  });
  process.stdout.write(`${token}\n`);
});
