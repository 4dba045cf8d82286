"""The shop's models after migration 0004."""
from django.db import models


class Customer(models.Model):
    name = models.CharField(max_length=100)


class Order(models.Model):
    total = models.DecimalField(max_digits=10, decimal_places=2)
    status = models.CharField(max_length=20, default="new")
    customer = models.ForeignKey(Customer, null=True, on_delete=models.CASCADE)

    class Meta:
        indexes = [models.Index(fields=["total"], name="shop_order_total_idx")]
