"""The Textual practice app. It holds no domain logic: it drives Session, PracticeRun and the
classifier, and shows what they return."""
