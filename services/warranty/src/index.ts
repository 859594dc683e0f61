import { runMain, runStandalone } from "@aftersales/kit";
import { warranty } from "./server.js";

runMain(() => runStandalone(warranty));
