// Worker entry for the smoke run (see engine/worker-task.ts).
import { defineTask } from "../engine/worker-task.js";
import { type SmokeProgress, type SmokeRequest, type SmokeResult, trainSmokeMlp } from "./mlp-smoke.js";

defineTask<SmokeRequest, SmokeResult, SmokeProgress>(trainSmokeMlp);
