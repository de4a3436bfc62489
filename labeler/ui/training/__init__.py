"""The model trained in the loop in the window: training, its figures, its settings."""
