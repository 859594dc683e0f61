import type { InputChecks } from "@aftersales/kit";
import { isLanguage, readComment, type CommentReading, type Language } from "../../domain/lexicon.js";
import type { FeedbackErrorCode } from "../../domain/errors.js";
import { COMMENT_MAX_LENGTH } from "../../domain/survey.js";

/** A comment and its language, checked; the comment read for themes and sentiment. */
export function checkComment(
  checks: InputChecks<FeedbackErrorCode>,
  input: { comment?: string | null; language?: string | null },
  required: boolean,
): { comment: string | null; reading: CommentReading | null } {
  const comment = required
    ? checks.text(input.comment ?? "", ["comment"], COMMENT_MAX_LENGTH)
    : checks.optionalText(input.comment, ["comment"], COMMENT_MAX_LENGTH);
  let language: Language | null = null;
  if (input.language != null) {
    const given = input.language.trim().toLowerCase();
    if (isLanguage(given)) language = given;
    else
      checks.add("UNKNOWN_LANGUAGE", `The lexicon reads en, de and fr; \`${input.language}\` is none of them. Leave it out to detect the language.`, [
        "language",
      ]);
  }
  return { comment, reading: comment && checks.ok ? readComment(comment, language) : null };
}
