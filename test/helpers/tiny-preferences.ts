// A preference set small enough for a tiny model to learn in a few dozen steps (trainer and LoRA tests).
export const TINY_PREFERENCES = [
  { prompt: "2+2=", chosen: "4", rejected: "5" },
  { prompt: "sky:", chosen: "blue", rejected: "green" },
  { prompt: "cat says", chosen: " meow", rejected: " woof" },
  { prompt: "A B C", chosen: " D", rejected: " Z" },
];
