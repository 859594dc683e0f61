import { parseArgs, type ParseArgsConfig } from "node:util";
import { CommandError } from "@aftersales/kit";

/** A command (`npm run <command>`) used wrongly: one line saying what and where its usage is, exit 2. */
export const usageError = (command: string, problem: string) => new CommandError(`${problem} (\`npm run ${command} -- --help\` shows how to use it)`, 2);

/** A command's options as given; an unknown or malformed one is a usage error in Node's own words, without its stack. */
export function commandOptions<const T extends NonNullable<ParseArgsConfig["options"]>>(
  command: string,
  options: T,
): ReturnType<typeof parseArgs<{ options: T }>>["values"] {
  try {
    return parseArgs({ options }).values;
  } catch (error) {
    throw usageError(command, error instanceof Error ? error.message.split("\n")[0]!.replace(/\.$/, "") : String(error));
  }
}
