"""Exercise 6's AlexNet in PyTorch, shared by the AlexNet benchmarks' PyTorch sides."""
from torch import nn


def alexnet():
    return nn.Sequential(
        nn.Conv2d(1, 96, 4), nn.ReLU(), nn.Conv2d(96, 96, 3), nn.ReLU(),
        nn.Conv2d(96, 256, 5, padding=2), nn.ReLU(), nn.MaxPool2d(3, stride=2),
        nn.Conv2d(256, 384, 3, padding=1), nn.ReLU(), nn.Conv2d(384, 384, 3, padding=1), nn.ReLU(),
        nn.Conv2d(384, 256, 3, padding=1), nn.ReLU(), nn.MaxPool2d(3, stride=2), nn.Flatten(),
        nn.Dropout(0.5), nn.Linear(6400, 800), nn.ReLU(), nn.Linear(800, 10),
    )
