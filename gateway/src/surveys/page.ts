import type { Identity, IdentitySigner, Logger } from "@aftersales/kit";
import express, { type Express, type Response } from "express";
import { askSubgraph } from "../subgraphs.js";

/**
 * The page a survey's link opens: `GET /surveys/<token>` shows the question
 * and its scale, `POST` takes the answer. Customers have no account, so the
 * token is their credential: the gateway asks the feedback subgraph as
 * itself, for this one survey and these two fixed operations only.
 */

/** The gateway on a customer's behalf: allowed to open and answer a survey whose token the customer brought. */
const SURVEY_PAGE: Identity = { subject: "survey-page", role: "AGENT", dealerId: null, credential: "survey-page", operationsOnly: false };

/** 256 random bits, base64url: what `newSurveyToken` makes. Anything else is refused before the subgraph is asked. */
const TOKEN = /^[A-Za-z0-9_-]{43}$/;

/**
 * Control characters a comment may not hold (see the kit's input rules) but
 * a pasted text brings along (a word processor's line break is U+000B):
 * spaces to the customer's eye, and no reason to turn their answer away.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it finds.
const CONTROL = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/g;

interface SurveyView {
  kind: string;
  status: string;
  question: string;
  scale: { min: number; max: number };
  /** Who asks: the page's heading, so the customer knows the survey is from the dealer they bought from. */
  dealerName: string | null;
  /** What it asks about; null for NPS (the dealer itself). */
  productName: string | null;
}

export interface SurveyPageOptions {
  feedbackUrl: string;
  identitySigner: IdentitySigner;
  logger: Logger;
}

export function serveSurveyPages(app: Express, options: SurveyPageOptions): void {
  const ask = async <T>(query: string, variables: Record<string, unknown>) =>
    askSubgraph<T>("feedback", options.feedbackUrl, await options.identitySigner.sign(SURVEY_PAGE), query, variables);
  const fail = (res: Response, error: unknown) => {
    options.logger.error({ err: error }, "survey page failed");
    res.status(502).type("html").send(page("Something went wrong", "<p>We could not reach our survey service. Please try the link again later.</p>"));
  };

  app.get("/surveys/:token", async (req, res) => {
    const token = req.params.token;
    try {
      const survey = TOKEN.test(token) ? await surveyOf(token) : null;
      if (!survey)
        return res.status(404).type("html").send(page("Survey not found", "<p>This link does not open a survey. Please check that it was copied whole.</p>"));
      res.type("html").send(survey.status === "OPEN" ? form(token, survey) : closed(survey));
    } catch (error) {
      fail(res, error);
    }
  });

  app.post("/surveys/:token", express.urlencoded({ extended: false, limit: "16kb" }), async (req, res) => {
    const token = req.params.token;
    const body = (req.body ?? {}) as Record<string, unknown>;
    const score = Number(body.score);
    const comment = typeof body.comment === "string" && body.comment.trim() ? body.comment.replace(CONTROL, " ") : null;
    try {
      if (!TOKEN.test(token)) return res.status(404).type("html").send(page("Survey not found", "<p>This link does not open a survey.</p>"));
      const data = await ask<{ answerSurvey: { errors: { code: string; message: string }[] } }>(
        `mutation AnswerFromPage($input: AnswerSurveyInput!) { answerSurvey(input: $input) { errors { code message } } }`,
        { input: { token, score: Number.isInteger(score) ? score : -1, comment } },
      );
      const [error] = data.answerSurvey.errors;
      if (!error) {
        // The answer is taken: a survey that cannot be read back costs the thank-you page only its heading.
        const answered = await surveyOf(token).catch((readError: unknown) => {
          options.logger.warn({ err: readError }, "survey page could not read an answered survey back");
          return null;
        });
        return res.type("html").send(page(answered?.dealerName ?? "Thank you", "<p>Thank you for your answer. It helps us serve you better.</p>"));
      }
      const survey = await surveyOf(token);
      const status = error.code === "SURVEY_NOT_FOUND" ? 404 : error.code === "SCORE_OUT_OF_RANGE" || error.code === "TOO_LONG" ? 400 : 409;
      if (survey?.status === "OPEN")
        return res
          .status(status)
          .type("html")
          .send(form(token, survey, error.message, comment));
      res
        .status(status)
        .type("html")
        .send(survey ? closed(survey) : page("Survey not found", `<p>${escapeHtml(error.message)}</p>`));
    } catch (error) {
      fail(res, error);
    }
  });

  async function surveyOf(token: string): Promise<SurveyView | null> {
    const data = await ask<{ surveyByToken: SurveyView | null }>(
      `query SurveyForPage($token: String!) { surveyByToken(token: $token) { kind status question scale { min max } dealerName productName } }`,
      { token },
    );
    return data.surveyByToken;
  }
}

function closed(survey: SurveyView): string {
  const why =
    survey.status === "ANSWERED"
      ? "This survey has been answered. Thank you!"
      : survey.status === "EXPIRED"
        ? "This survey has closed."
        : "This survey is not open.";
  return page(survey.dealerName ?? "Survey", `${about(survey)}<p>${why}</p>`);
}

/** The line under the heading that says what the survey is about, when it is about a product. */
const about = (survey: SurveyView) => (survey.productName ? `<p class="about">About your ${escapeHtml(survey.productName)}</p>` : "");

function form(token: string, survey: SurveyView, error?: string, comment?: string | null): string {
  const scores = Array.from({ length: survey.scale.max - survey.scale.min + 1 }, (_, i) => survey.scale.min + i);
  // A complaint's follow-up asks yes or no: the words, yes first, in place of its 1 and 0.
  const yesNo = survey.kind === "COMPLAINT_FOLLOW_UP";
  const choices = yesNo
    ? [
        { score: 1, label: "Yes" },
        { score: 0, label: "No" },
      ]
    : scores.map((score) => ({ score, label: String(score) }));
  // The dealer's name heads the page: a customer opening a link from an e-mail should see at once who asks.
  return page(
    survey.dealerName ?? "Your opinion",
    `${about(survey)}<form method="post" action="/surveys/${escapeHtml(token)}">
      <p class="question">${escapeHtml(survey.question)}</p>
      ${error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : ""}
      <fieldset><legend>${yesNo ? "Your answer" : "Your score"}</legend>
        ${choices.map(({ score, label }) => `<label><input type="radio" name="score" value="${score}" required> ${label}</label>`).join("\n        ")}
      </fieldset>
      <label for="comment">Anything you want to tell us? (optional)</label>
      <textarea id="comment" name="comment" maxlength="4000" rows="5">${escapeHtml(comment ?? "")}</textarea>
      <button type="submit">Send</button>
    </form>`,
  );
}

function page(title: string, body: string): string {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:36rem;margin:3rem auto;padding:0 1rem;color:#1d2430}
fieldset{border:0;padding:0;display:flex;flex-wrap:wrap;gap:.75rem;margin:1rem 0}legend{font-weight:600;margin-bottom:.5rem}
textarea{width:100%;font:inherit}button{margin-top:1rem;padding:.5rem 1.5rem;font:inherit}.error{color:#b00020}.question{font-size:1.1rem}.about{color:#4a5568;margin-top:-.5rem}</style>
</head><body><h1>${escapeHtml(title)}</h1>${body}</body></html>`;
}

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
