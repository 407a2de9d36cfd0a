"""Score: turn findings (and, with the fluency model, LM scores) into numbers per sentence and article."""
