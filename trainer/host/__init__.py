"""The team host: one place trainees practise and certify, in a browser or over SSH."""
