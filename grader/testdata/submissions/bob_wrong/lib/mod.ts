throw new Error("a submission's own lib/ must be ignored");
