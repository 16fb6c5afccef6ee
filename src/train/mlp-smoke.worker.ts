// Worker entry for the smoke run (see engine/worker.ts).
import { defineWorker } from "../engine/worker.js";
import { type SmokeProgress, type SmokeRequest, type SmokeResult, trainSmokeMlp } from "./mlp-smoke.js";

defineWorker<SmokeRequest, SmokeResult, SmokeProgress>(trainSmokeMlp);
