/**
 * Makes a gateway's identity signing key (`npm run identity-key -- --help`
 * says how) and prints it with the key set the subgraphs check identities
 * with, as lines for an env file. With `--keep` the new key joins the keys
 * already trusted: the first step of a rotation.
 */
import { generateIdentityKey, identitySigner, parseIdentityKeySet, runMain } from "@aftersales/kit";
import type { JWK } from "jose";
import { commandOptions, usageError } from "./command-line.js";

const USAGE = `Prints a new Ed25519 key for a gateway to sign callers' identities with,
and the key set (JWKS) the subgraphs check them with, as env-file lines:

  IDENTITY_SIGNING_KEY='<private JWK>'   for the gateway (and only it)
  IDENTITY_JWKS='<{"keys": [...]}>'      for every subgraph

  npm run --silent identity-key                        a first key
  npm run --silent identity-key -- --keep "$IDENTITY_JWKS"
                                                       a rotation's new key, with the keys trusted now

  --keep   a key set whose keys stay trusted beside the new one
  --help   this text

A rotation: (1) give the subgraphs the set printed with --keep and restart
them; (2) give the gateway the new signing key and restart it; (3) once no
header signed with the old key can still arrive (a minute after the last old
gateway stopped), give the subgraphs the set with the new key alone.
`;

runMain(async () => {
  const values = commandOptions("identity-key", { keep: { type: "string" }, help: { type: "boolean", short: "h" } });
  if (values.help) {
    process.stdout.write(USAGE);
    return;
  }
  let kept: JWK[] = [];
  if (values.keep !== undefined) {
    try {
      kept = parseIdentityKeySet(values.keep).keys;
    } catch (error) {
      throw usageError("identity-key", `--keep: ${error instanceof Error ? error.message : String(error)}`);
    }
  }
  const key = await generateIdentityKey();
  const keySet = { keys: [...kept, identitySigner(key).publicKey] };
  process.stdout.write(`IDENTITY_SIGNING_KEY='${JSON.stringify(key)}'\nIDENTITY_JWKS='${JSON.stringify(keySet)}'\n`);
});
