"""stage package"""
