import { describe, expect, it } from "vitest";
import { answerEveryPosition, distinctRepresentations } from "../src/subgraphs.js";

const ada = { __typename: "Customer", id: "cus_ada" };
const bo = { __typename: "Customer", id: "cus_bo" };

describe("entities asked for once", () => {
  it("sends each distinct representation once, and nothing changes when none repeats", () => {
    expect(distinctRepresentations({ representations: [ada, bo, ada, ada], other: 1 })).toEqual({
      variables: { representations: [ada, bo], other: 1 },
      positions: [0, 1, 0, 0],
    });
    expect(distinctRepresentations({ representations: [ada, bo] })).toBeNull();
    expect(distinctRepresentations({ first: 10 })).toBeNull();
  });

  it("gives every place its own copy of the answer, and every place an error about its entity", () => {
    // given: the answer to [ada, bo] for [ada, bo, ada]
    const body = {
      data: { _entities: [{ name: "Ada", address: { city: "London" } }, { name: "Bo" }] },
      errors: [
        { message: "withheld", path: ["_entities", 0, "phone"] },
        { message: "slow", extensions: { code: "X" } },
      ],
    };
    // when
    answerEveryPosition(body, [0, 1, 0]);
    // then
    const [first, second, third] = body.data._entities as { name: string; address?: { city: string } }[];
    expect([first, second, third]).toEqual([{ name: "Ada", address: { city: "London" } }, { name: "Bo" }, { name: "Ada", address: { city: "London" } }]);
    expect(third).not.toBe(first);
    expect(third!.address).not.toBe(first!.address);
    expect(body.errors).toEqual([
      { message: "withheld", path: ["_entities", 0, "phone"] },
      { message: "withheld", path: ["_entities", 2, "phone"] },
      { message: "slow", extensions: { code: "X" } },
    ]);
  });

  it("leaves an answer with the wrong number of entities as it is, for the executor to refuse", () => {
    const body = { data: { _entities: [{ name: "Ada" }] } };
    answerEveryPosition(body, [0, 1, 0]);
    expect(body.data._entities).toEqual([{ name: "Ada" }]);
  });
});
