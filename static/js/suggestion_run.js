// The page of one suggestion run, outside the workbench: its status line says how the run
// goes and how it ended, as the workbench's does.

import { sayRunChanges } from "./run_progress.js";

const said = document.getElementById("run-said");
sayRunChanges((words) => {
  said.textContent = words;
});
